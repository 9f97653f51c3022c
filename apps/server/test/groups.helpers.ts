/**
 * Helpers for group tests: people as browsers would be (a cookie jar with
 * the signed cookies the server set), over real HTTP.
 */
import { expect } from 'vitest';

export interface Answer {
	status: number;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are checked field by field
	json: any;
	text: string;
	headers: Headers;
}

/** One device: the cookies it holds (name → `name=value`). */
export class Device {
	readonly cookies = new Map<string, string>();

	get header(): Record<string, string> {
		return this.cookies.size > 0 ? { cookie: [...this.cookies.values()].join('; ') } : {};
	}

	/** Keeps what `Set-Cookie` headers set (and drops what they clear). */
	absorb(headers: Headers): void {
		for (const line of headers.getSetCookie()) {
			const pair = line.split(';')[0]!;
			const name = pair.slice(0, pair.indexOf('='));
			if (/Expires=Thu, 01 Jan 1970/i.test(line) || pair.endsWith('=')) this.cookies.delete(name);
			else this.cookies.set(name, pair);
		}
	}

	/** A copy, as if the cookie had been carried to another place (e.g. kept by someone who left). */
	clone(): Device {
		const copy = new Device();
		for (const [k, v] of this.cookies) copy.cookies.set(k, v);
		return copy;
	}

	/** A request with this device's cookies; JSON answers are parsed, others kept as text. */
	async call(base: string, method: string, route: string, body?: unknown): Promise<Answer> {
		const res = await fetch(base + route, {
			method,
			headers:
				body === undefined ? this.header : { 'content-type': 'application/json', ...this.header },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		this.absorb(res.headers);
		const text = await res.text();
		const json =
			res.headers.get('content-type')?.startsWith('application/json') && text
				? // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked field by field
					(JSON.parse(text) as any)
				: null;
		return { status: res.status, json, text, headers: res.headers };
	}
}

export const secretOf = (link: string) => link.slice(link.indexOf('#') + 1);

export interface TestGroup {
	groupId: string;
	facilitator: Device;
	facilitatorMemberId: string;
	/** The facilitator's device token, for sockets (`?token=`). */
	facilitatorToken: string;
	links: { facilitator: string; invite: string };
}

export async function createGroup(
	base: string,
	groupName = 'Ydinryhmä Rovaniemi',
	name = 'Aino',
	industry = 'matkailu'
): Promise<TestGroup> {
	const facilitator = new Device();
	const res = await facilitator.call(base, 'POST', '/api/groups', {
		groupName,
		place: 'Rovaniemi',
		language: 'fi',
		name,
		industry
	});
	expect(res.status, JSON.stringify(res.json)).toBe(201);
	return {
		groupId: res.json.group.id,
		facilitator,
		facilitatorMemberId: res.json.member.id,
		facilitatorToken: res.json.token,
		links: res.json.links
	};
}

/** Opens a group link on `device` and gives a name if asked; returns the member. */
export async function openLink(
	base: string,
	groupId: string,
	link: string,
	device: Device,
	profile: { name: string; industry: string } = { name: 'Ville', industry: 'leipomo' }
): Promise<{ memberId: string; role: string; token: string }> {
	let res = await device.call(base, 'POST', `/api/groups/${groupId}/access`, {
		secret: secretOf(link)
	});
	if (res.json?.needsProfile) {
		res = await device.call(base, 'POST', `/api/groups/${groupId}/access`, {
			secret: secretOf(link),
			...profile
		});
	}
	expect([200, 201], JSON.stringify(res.json)).toContain(res.status);
	return { memberId: res.json.member.id, role: res.json.member.role, token: res.json.token };
}

export async function startGroupSession(
	base: string,
	group: TestGroup,
	title = 'Marraskuun ilta',
	extra: Record<string, unknown> = {}
): Promise<{ sessionId: string; guestLink: string }> {
	const res = await group.facilitator.call(base, 'POST', `/api/groups/${group.groupId}/sessions`, {
		title,
		...extra
	});
	expect(res.status, JSON.stringify(res.json)).toBe(201);
	return { sessionId: res.json.id, guestLink: res.json.guestLink };
}

/** Admits a guest with the guest link (or the join code); returns their device and token. */
export async function admitGuest(
	base: string,
	sessionId: string,
	secret: string,
	name = 'Vieras',
	industry = 'kirjanpito'
): Promise<{ device: Device; token: string; participantId: string }> {
	const device = new Device();
	const res = await device.call(base, 'POST', `/api/sessions/${sessionId}/guests`, {
		secret,
		name,
		industry
	});
	expect(res.status, JSON.stringify(res.json)).toBe(201);
	return { device, token: res.json.token, participantId: res.json.participantId };
}
