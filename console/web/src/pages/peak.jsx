// Placeholder: helper "web-pages" replaces this page.
export default function Peak() {
  return <h1>Peak</h1>;
}
