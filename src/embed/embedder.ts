// Turns text into vectors. Every stored vector records the embedder id and dimension that made it,
// so a switch of embedder is detected (search refuses to compare vectors of different makers).
export interface Embedder {
  /** e.g. 'local-hash-v1' or 'openai:text-embedding-3-small' */
  readonly id: string;
  readonly dim: number;
  /** One L2-normalised vector per text, in order. */
  embed(texts: readonly string[]): Promise<number[][]>;
}
