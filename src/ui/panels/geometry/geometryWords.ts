// Plain-language sentences about an instance's geometry, for captions.

const FRACTION_WORDS: Record<string, string> = {
  pentagon: 'five features share two dimensions as a pentagon: each gets 2/5 of a dimension',
  triangle: 'three features share two dimensions as a triangle: each gets 2/3 of a dimension',
  'antipodal pair': 'two features share one direction, pointing opposite ways: each gets half a dimension',
  tetrahedron: 'four features share three dimensions as a tetrahedron: each gets 3/4 of a dimension',
  hexagon: 'six features share two dimensions as a hexagon: each gets 1/3 of a dimension',
  'square antiprism': 'eight features share three dimensions as a square antiprism: each gets 3/8 of a dimension',
};

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

export function countWord(k: number): string {
  return NUMBER_WORDS[k] ?? String(k);
}

/** "five features in two dimensions: pentagon — each gets 2/5 of a dimension." */
export function describeInstance(geometry: string, represented: number, n: number, m: number): string {
  const head = `${capitalise(countWord(represented))} of ${n} features ${represented === 1 ? 'is' : 'are'} represented in ${countWord(m)} ${m === 1 ? 'dimension' : 'dimensions'}`;
  const words = FRACTION_WORDS[geometry];
  if (words) return `${head}: ${words}.`;
  if (/^\d+ dedicated dimensions?$/.test(geometry) || geometry === '1 dedicated dimension') return `${head}, each with a dimension of its own (no superposition).`;
  if (geometry === 'nothing represented') return `${head} yet.`;
  return `${head}: ${geometry}.`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
