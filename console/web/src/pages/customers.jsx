// Placeholder: helper "web-pages" replaces this page.
export default function Customers() {
  return <h1>Customers</h1>;
}
