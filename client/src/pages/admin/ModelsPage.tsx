export default function ModelsPage() {
  return <h1 className="text-xl font-semibold">Models</h1>;
}
