export default function Tokenizer() {
  return <p>Tokenizer</p>;
}
