import { KubernetesSimulator } from '../KubernetesSimulator';

/** An answer of the simulator, with its body parsed when it is JSON. */
export interface Answer {
  status: number;
  body: any;
  text: string;
}

/** Calls a simulator over HTTP, authenticated with its token. */
export function httpClient(simulator: KubernetesSimulator) {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<Answer> => {
    const response = await fetch(`${simulator.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${simulator.token}`,
        ...(body !== undefined ? { 'Content-Type': contentType } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, text };
  };
  return {
    call,
    get: (path: string) => call('GET', path),
    apply: (path: string, object: unknown, query = 'fieldManager=test') =>
      call(
        'PATCH',
        `${path}${path.includes('?') ? '&' : '?'}${query}`,
        object,
        'application/apply-patch+yaml',
      ),
    delete: (path: string) => call('DELETE', path),
  };
}

/** Reads a watch stream until `count` events arrived (or `timeoutMs`). */
export async function readWatch(
  url: string,
  token: string,
  count: number,
  timeoutMs = 2000,
): Promise<Array<{ type: string; object: any }>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: Array<{ type: string; object: any }> = [];
  try {
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        events.push(JSON.parse(buffer.slice(0, newline)));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) {
      throw error;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

/** Polls until `check` holds. */
export async function eventually<T>(
  check: () => T | undefined | false,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
