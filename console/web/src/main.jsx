// The console's entry point: renders the app into #app.
import { render } from 'preact';
import { App } from './shell.jsx';

render(<App />, document.getElementById('app'));
