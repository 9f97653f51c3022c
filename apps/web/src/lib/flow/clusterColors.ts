/**
 * How each theme colour looks. A colour is never the only signal: every
 * theme also shows its colour's name ("Sun theme") and a pattern on its
 * swatch, so themes stay apart for colour-blind eyes and in grey print.
 */
import type { ClusterColor } from '@kipina/board';

export interface ClusterLook {
	/** Strong colour for the edge and the swatch. */
	edge: string;
	/** Pale background of the theme. */
	tint: string;
	/** CSS background of the swatch: a pattern drawn in a darker shade. */
	pattern: string;
}

const stripes = (angle: number, ink: string) =>
	`repeating-linear-gradient(${angle}deg, ${ink} 0 2px, transparent 2px 6px)`;
const dots = (ink: string) => `radial-gradient(${ink} 1.3px, transparent 1.6px) 0 0 / 6px 6px`;

export const CLUSTER_LOOKS: Record<ClusterColor, ClusterLook> = {
	sun: { edge: '#d99a1e', tint: '#fdf3dc', pattern: dots('#8a5a00') },
	sea: { edge: '#2f6f95', tint: '#e2eef5', pattern: stripes(0, '#173f58') },
	forest: { edge: '#3f7a45', tint: '#e4f0e3', pattern: stripes(45, '#1f4424') },
	berry: {
		edge: '#a8436a',
		tint: '#f7e4eb',
		pattern: `${stripes(45, '#5e1f38')}, ${stripes(-45, '#5e1f38')}`
	},
	sky: { edge: '#4f93bf', tint: '#e5f1f8', pattern: stripes(90, '#1d4c6b') },
	heather: { edge: '#7f5ba8', tint: '#efe8f6', pattern: stripes(-45, '#43285f') },
	sand: {
		edge: '#b98a4b',
		tint: '#f7eddd',
		pattern: `${stripes(0, '#6b4a1e')}, ${stripes(90, '#6b4a1e')}`
	},
	stone: { edge: '#6f767d', tint: '#eceeef', pattern: 'none' }
};
