export default function DatasetsPage() {
  return <h1 className="text-xl font-semibold">Dataset versions</h1>;
}
