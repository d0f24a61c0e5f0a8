/** A public audit as anyone with its link sees it. */

export function withoutPeople(stackData: unknown): unknown {
  if (stackData === null || typeof stackData !== 'object' || !Array.isArray((stackData as { tools?: unknown }).tools))
    return stackData;
  const stack = stackData as { tools: Record<string, unknown>[] };
  return { ...stack, tools: stack.tools.map(({ owner: _owner, ...tool }) => tool) };
}
