export default function ModelPage() {
  return <h1 className="text-xl font-semibold">Model</h1>;
}
