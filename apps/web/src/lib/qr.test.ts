import { describe, expect, it } from 'vitest';
import { qrPath } from './qr';

describe('qrPath', () => {
	it('draws a QR code as one path of unit squares', () => {
		const { size, d } = qrPath('https://kipina.example/s/a1B2c3D4e5');
		expect(size).toBeGreaterThanOrEqual(21);
		expect((size - 17) % 4).toBe(0);
		expect(d).toMatch(/^(M\d+ \d+h1v1h-1z)+$/);
		// The three finder patterns start with dark top-left corners.
		expect(d.startsWith('M0 0h1v1h-1z')).toBe(true);
		expect(d).toContain(`M${size - 1} 0h1v1h-1z`);
	});
});
