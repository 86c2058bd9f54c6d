// Placeholder: helper "web-pages" replaces this page.
export default function Exceptions() {
  return <h1>Exceptions</h1>;
}
