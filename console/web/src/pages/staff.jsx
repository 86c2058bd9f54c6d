// Placeholder: helper "web-pages" replaces this page.
export default function Staff() {
  return <h1>Staff</h1>;
}
