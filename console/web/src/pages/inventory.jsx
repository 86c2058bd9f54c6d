// Placeholder: helper "web-pages" replaces this page.
export default function Inventory() {
  return <h1>Inventory</h1>;
}
