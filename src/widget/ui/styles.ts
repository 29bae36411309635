// The widget's only CSS, inside its shadow root: nothing here reaches the page, and `all: initial`
// on the host stops the page's inherited styles (fonts, colours, line height) from reaching in.
export const WIDGET_CSS = `
:host { all: initial; position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; }
* { box-sizing: border-box; }
button { font: inherit; cursor: pointer; border: 0; border-radius: 8px; padding: 8px 14px;
  background: #2456d6; color: #fff; }
button:disabled { opacity: .6; cursor: default; }
.launcher { border-radius: 999px; padding: 12px 18px; box-shadow: 0 4px 14px rgba(0,0,0,.2); }
.panel { display: none; flex-direction: column; width: min(380px, calc(100vw - 40px)); height: 480px;
  max-height: calc(100vh - 100px); background: #fff; border-radius: 12px; margin-bottom: 12px;
  box-shadow: 0 8px 30px rgba(0,0,0,.25); overflow: hidden; }
.panel.open { display: flex; }
.head { padding: 12px 14px; background: #2456d6; color: #fff; font-weight: 600; }
.log { flex: 1; overflow-y: auto; padding: 12px 14px; display: flex; flex-direction: column; gap: 10px; }
.empty { color: #5b6475; text-align: center; margin: auto 0; }
.msg { padding: 8px 11px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; max-width: 92%; }
.user { align-self: flex-end; background: #2456d6; color: #fff; }
.assistant { align-self: flex-start; background: #f0f2f7; }
.assistant.nothing { color: #5b6475; font-style: italic; }
.citations { margin: 6px 0 0; padding: 0; list-style: none; font-size: 12px; white-space: normal; }
.citations li { border-top: 1px solid #d9dde7; padding-top: 4px; margin-top: 4px; }
.citations strong { display: block; }
.status { padding: 8px 14px; font-size: 13px; background: #fff4e5; color: #7a4100; display: none; }
.status.shown { display: block; }
form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e3e6ee; }
input { flex: 1; font: inherit; padding: 8px 10px; border: 1px solid #c5cad6; border-radius: 8px; color: inherit; }
`;
