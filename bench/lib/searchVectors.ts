// Embedding-like test vectors. Uniform random vectors are the wrong benchmark: in 256 dimensions
// they are all nearly equidistant, so any ANN index looks bad. Real text embeddings
// are low-rank-ish: texts cluster around topics, share a common direction (anisotropy), and differ
// by a little noise. This generator makes exactly that, deterministically from a seed.
import { createRng } from '../../src/demo/rng.ts';

/** A small, fast, seedable PRNG (the demo seed's mulberry32): the same seed gives the same corpus on any machine. */
export function mulberry32(seed: number): () => number {
  return createRng(seed).next;
}

/** Standard normal samples (Box–Muller). */
export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(rand() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * rand());
}

function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

export interface CorpusOptions {
  dim: number;
  /** Topic directions the texts are mixtures of (a catalog's categories, brands, effects …). */
  topics: number;
  /** Topics mixed into one text (a product is a category and a brand and an effect …). */
  topicsPerText: number;
  seed: number;
  /** Weight of the direction every embedding shares (embedding models are anisotropic). */
  common: number;
  /** Norm of the isotropic noise relative to the topic mixture. */
  noise: number;
}

export const DEFAULT_CORPUS: CorpusOptions = { dim: 256, topics: 300, topicsPerText: 3, seed: 42, common: 0.3, noise: 0.2 };

/**
 * Draws vectors: each a mixture of topicsPerText distinct topics (popular ones more often) with random
 * weights (flat Dirichlet), plus the common direction and isotropic noise, normalised. Neighbours
 * are then texts about the same things in similar proportions, as with real embeddings; the
 * noise is what makes texts about exactly the same things differ.
 */
export function vectorSource(opts: CorpusOptions = DEFAULT_CORPUS): (count: number) => Float32Array[] {
  const rand = mulberry32(opts.seed);
  const normal = gaussian(rand);
  const direction = () => normalise(Float32Array.from({ length: opts.dim }, normal));
  const common = direction();
  const topics = Array.from({ length: opts.topics }, direction);
  // Zipf-like popularity: topic i is drawn with weight 1/(i+1), like categories in a shop.
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < opts.topics; i++) cumulative.push((total += 1 / (i + 1)));
  const pickTopic = () => {
    const r = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return topics[lo]!;
  };
  const noiseScale = opts.noise / Math.sqrt(opts.dim);

  return (count) =>
    Array.from({ length: count }, () => {
      const v = new Float32Array(opts.dim);
      const chosen = new Set<Float32Array>();
      while (chosen.size < opts.topicsPerText) chosen.add(pickTopic());
      for (const t of chosen) {
        const w = -Math.log(1 - rand()); // exponential weights, normalised below: a flat Dirichlet
        for (let i = 0; i < opts.dim; i++) v[i]! += w * t[i]!;
      }
      normalise(v);
      for (let i = 0; i < opts.dim; i++) v[i]! += opts.common * common[i]! + noiseScale * normal();
      return normalise(v);
    });
}
