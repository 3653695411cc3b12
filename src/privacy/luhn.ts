/**
 * The Luhn (mod 10) check of a string of digits. Ten lines, so written here
 * rather than taken as a dependency (`luhn`, `fast-luhn` are each this loop).
 */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * A payment card number: 13 to 19 digits, an issuer prefix of a card
 * network (Visa, Mastercard, American Express, Discover, JCB, Diners Club,
 * UnionPay), and the Luhn check. The prefix keeps 13-digit epoch
 * milliseconds and other long numbers that pass Luhn by chance (one in ten)
 * from being taken for cards.
 */
export function isCardNumber(digits: string): boolean {
  const n = digits.length;
  if (n < 13 || n > 19) return false;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  const issuer =
    digits[0] === "4" || // Visa
    (two >= 51 && two <= 55) ||
    (four >= 2221 && four <= 2720) || // Mastercard
    two === 34 ||
    two === 37 || // American Express
    four === 6011 ||
    two === 65 ||
    (four >= 6440 && four <= 6499) || // Discover
    (four >= 3528 && four <= 3589) || // JCB
    two === 36 ||
    two === 38 ||
    (four >= 3000 && four <= 3059) || // Diners Club
    two === 62; // UnionPay
  return issuer && passesLuhn(digits);
}
