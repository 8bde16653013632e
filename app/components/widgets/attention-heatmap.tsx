export default function AttentionHeatmap() {
  return <p>Attention heatmap</p>;
}
