import { create } from 'qrcode';

export interface QrPath {
	/** Modules per side, without the quiet zone. */
	size: number;
	/** SVG path drawing every dark module as a 1×1 square. */
	d: string;
}

/** A QR code as one SVG path, so it is rendered as markup, never as injected HTML. */
export function qrPath(text: string): QrPath {
	const { modules } = create(text, { errorCorrectionLevel: 'M' });
	const { size, data } = modules;
	let d = '';
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			if (data[y * size + x]) d += `M${x} ${y}h1v1h-1z`;
		}
	}
	return { size, d };
}
