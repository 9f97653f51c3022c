/**
 * A soft two-note chime for "time is up", synthesised with Web Audio (no
 * audio files to load or cache): sine partials with a bell-like overtone and
 * a gentle exponential decay, quiet enough not to startle a room.
 */

type AudioContextClass = typeof AudioContext;

function audioContextClass(): AudioContextClass | null {
	if (typeof window === 'undefined') return null;
	const w = window as unknown as {
		AudioContext?: AudioContextClass;
		webkitAudioContext?: AudioContextClass;
	};
	return w.AudioContext ?? w.webkitAudioContext ?? null;
}

let context: AudioContext | null = null;

/**
 * The page's audio context, created on first use. Browsers start it
 * suspended until the page has had a click or key press; `resume()` after
 * one makes it audible.
 */
export function audio(): AudioContext | null {
	if (context) return context;
	const Context = audioContextClass();
	if (!Context) return null;
	try {
		context = new Context();
	} catch {
		return null;
	}
	return context;
}

/** Call from a user gesture: lets later chimes play without one. */
export function unlockAudio(): void {
	const ctx = audio();
	if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => {});
}

/** Whether the browser would play a chime now. */
export function audioAllowed(): boolean {
	return context?.state === 'running';
}

/** One struck note: a fundamental and a quieter inharmonic overtone, fading out. */
function strike(ctx: AudioContext, out: AudioNode, frequency: number, at: number): void {
	for (const [ratio, level] of [
		[1, 1],
		[2.76, 0.18],
		[5.4, 0.05]
	] as const) {
		const osc = ctx.createOscillator();
		const gain = ctx.createGain();
		osc.type = 'sine';
		osc.frequency.value = frequency * ratio;
		gain.gain.setValueAtTime(0.0001, at);
		gain.gain.exponentialRampToValueAtTime(level, at + 0.012);
		gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.8 / ratio ** 0.3);
		osc.connect(gain).connect(out);
		osc.start(at);
		osc.stop(at + 2);
	}
}

/** Plays the chime if the browser allows sound now; silently does nothing otherwise. */
export function playChime(volume = 0.22): void {
	const ctx = audio();
	if (!ctx) return;
	const play = () => {
		const master = ctx.createGain();
		master.gain.value = volume;
		master.connect(ctx.destination);
		const t = ctx.currentTime + 0.02;
		strike(ctx, master, 880, t); // A5
		strike(ctx, master, 659.26, t + 0.42); // E5
	};
	if (ctx.state === 'running') play();
	else void ctx.resume().then(play, () => {});
}
