export default function Board() {
  return <h1>Orders</h1>;
}
