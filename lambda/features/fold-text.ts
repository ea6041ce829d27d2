const COMBINING_MARKS = /\p{M}+/gu;
const NOT_ALNUM = /[^a-z0-9]+/g;

/**
 * Folds free text for matching: accents stripped (`Hôtel` → `hotel`), lower case, `&` read as
 * `and`, and every run of other characters turned into one space.
 *
 * @example foldText('Hôtel Lumière  *PARIS') // 'hotel lumiere paris'
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(NOT_ALNUM, ' ')
    .trim();
}
