export function runtimeConfigScript(env: Record<string, string | undefined>): string;
