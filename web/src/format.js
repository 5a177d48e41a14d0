// Numbers as an officer reads them: probabilities in percent, differences in percentage points.
// The words come from the API (value_in_words, text); these only lay out numbers.
export function percent(probability, digits = 1) {
  return `${(probability * 100).toFixed(digits)}%`;
}

// 0.042 -> "4.2 points".
export function points(difference, digits = 1) {
  const value = Math.abs(difference * 100).toFixed(digits);
  return `${value} ${value === (1).toFixed(digits) ? 'point' : 'points'}`;
}

// 0.042 -> "+4.2", -0.01 -> "−1.0" (a true minus sign, read aloud as "minus").
export function signedPoints(difference, digits = 1) {
  const value = (Math.abs(difference) * 100).toFixed(digits);
  return `${difference < 0 ? '\u2212' : '+'}${value}`;
}

// The API's band ("low", "moderate", "high", "very high") as words: "high risk".
export function bandWords(band) {
  return `${band} risk`;
}
