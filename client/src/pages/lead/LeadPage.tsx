export default function LeadPage() {
  return <h1 className="text-xl font-semibold">Lead</h1>;
}
