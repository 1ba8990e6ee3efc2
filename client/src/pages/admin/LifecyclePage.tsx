export default function LifecyclePage() {
  return <h1 className="text-xl font-semibold">Model lifecycle</h1>;
}
