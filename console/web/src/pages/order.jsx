export default function Order({ params }) {
  return <h1>Order {params.id}</h1>;
}
