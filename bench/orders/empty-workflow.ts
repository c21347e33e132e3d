/** The baseline of the orders benchmark: a workflow that does nothing (start → complete). */
export async function benchEmpty(): Promise<void> {}
