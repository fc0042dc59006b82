// Russian plural forms for text made in code (field displays, findings), where the dictionary's plural
// messages do not fit: several counted nouns in one sentence, or a case after a preposition.

/**
 * The number and the noun in the form it takes: `1 байт`, `2 байта`, `5 байт`, `11 байт`, `21 байт`. A
 * fraction takes the `few` form (`1,5 байта`); a value that is not a number shows as `?`.
 */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  if (!Number.isFinite(n)) return `? ${many}`;
  const units = Math.abs(n) % 10;
  const tens = Math.abs(n) % 100;
  const word = !Number.isInteger(n)
    ? few
    : units === 1 && tens !== 11
      ? one
      : units >= 2 && units <= 4 && (tens < 12 || tens > 14)
        ? few
        : many;
  return `${n} ${word}`;
}

/** `5 байт`, `2 байта`, from a count as text. */
export const ruBytes = (n: string | undefined): string => ruPlural(Number(n), "байт", "байта", "байт");
