// What the global setup provides to every test (see test/setup/global.ts).
declare module 'vitest' {
  export interface ProvidedContext {
    stack: {
      workerVars: Record<string, string>;
      adminUrl: string;
      runtimeRole: string;
    };
  }
}

export {};
