// Placeholder: helper "web-pages" replaces this page.
export default function Channels() {
  return <h1>Channels</h1>;
}
