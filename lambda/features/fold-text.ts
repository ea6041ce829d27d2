const COMBINING_MARKS = /\p{M}+/gu;
const NOT_ALNUM = /[^a-z0-9]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is the whole range, controls included.
const NOT_ASCII = /[^\u0000-\u007f]/;

/**
 * Folds free text for matching: accents stripped (`Hôtel` → `hotel`), lower case, `&` read as
 * `and`, and every run of other characters turned into one space. ASCII text (almost every
 * vendor and category) skips the Unicode decomposition, which leaves it unchanged anyway.
 *
 * @example foldText('Hôtel Lumière  *PARIS') // 'hotel lumiere paris'
 */
export function foldText(text: string): string {
  const plain = NOT_ASCII.test(text) ? text.normalize('NFKD').replace(COMBINING_MARKS, '') : text;
  return plain.toLowerCase().replace(/&/g, ' and ').replace(NOT_ALNUM, ' ').trim();
}
