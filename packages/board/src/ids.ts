/** Web Crypto, present in browsers and in Node ≥ 19 (typed here to keep DOM and Node types out). */
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A random id of `length` characters from [0-9A-Za-z] (about 5.95 bits each).
 * Uses `crypto.getRandomValues`, which browsers offer also on plain-http LAN
 * addresses (unlike `crypto.randomUUID`), and Node offers globally.
 */
export function randomId(length = 12): string {
	const bytes = new Uint8Array(length * 2);
	crypto.getRandomValues(bytes);
	let out = '';
	// Rejection sampling keeps the distribution uniform (248 = 4 × 62).
	for (let i = 0; i < bytes.length && out.length < length; i++) {
		const b = bytes[i]!;
		if (b < 248) out += ALPHABET[b % 62];
	}
	return out.length === length ? out : out + randomId(length - out.length);
}
