import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { nanoid } from 'nanoid';

/** A new participant token: a random capability (about 190 bits). */
export function newToken(): string {
	return nanoid(32);
}

/** Tokens are stored only as their SHA-256 hash. */
export function hashToken(token: string): Buffer {
	return crypto.createHash('sha256').update(token, 'utf8').digest();
}

export function cookieName(sessionId: string): string {
	return `kp_${sessionId}`;
}

/** The cookie of a group member's device: `kg_<groupId>`. */
export function groupCookieName(groupId: string): string {
	return `kg_${groupId}`;
}

/**
 * Signs and verifies cookie values with an HMAC secret that is created in the
 * data folder on first start (so cookies stay valid across restarts).
 */
export class CookieSigner {
	constructor(private readonly secret: Buffer) {}

	static fromDataDir(dataDir: string): CookieSigner {
		const file = path.join(dataDir, 'cookie-secret');
		fs.mkdirSync(dataDir, { recursive: true });
		try {
			const existing = fs.readFileSync(file);
			if (existing.length >= 32) return new CookieSigner(existing);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		}
		const secret = crypto.randomBytes(32);
		fs.writeFileSync(file, secret, { mode: 0o600 });
		return new CookieSigner(secret);
	}

	private mac(value: string): string {
		return crypto.createHmac('sha256', this.secret).update(value).digest('base64url');
	}

	sign(value: string): string {
		return `${value}.${this.mac(value)}`;
	}

	/** The signed value, or null when the signature does not match. */
	verify(signed: string): string | null {
		const dot = signed.lastIndexOf('.');
		if (dot <= 0) return null;
		const value = signed.slice(0, dot);
		const given = Buffer.from(signed.slice(dot + 1));
		const expected = Buffer.from(this.mac(value));
		if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
		return value;
	}
}
