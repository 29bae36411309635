// The node:stream surface through which the HTML parser (parse5-sax-parser's SAXParser, a Transform
// stream) is driven, available through the nodejs_compat flag. The Worker's tsconfig deliberately
// omits @types/node, so only this surface is declared.
declare module 'node:stream' {
  export class Writable {
    end(chunk: string): this;
    on(event: 'finish', listener: () => void): this;
    on(event: 'error', listener: (error: unknown) => void): this;
  }
  export class Transform extends Writable {}
}
