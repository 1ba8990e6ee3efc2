export default function ScoringConfigPage() {
  return <h1 className="text-xl font-semibold">Scoring configuration</h1>;
}
