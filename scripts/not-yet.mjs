// Placeholder for commands whose issue has not landed: fail loudly, never succeed silently.
const command = process.argv[2] ?? 'this command';
console.error(`${command}: not yet implemented`);
process.exit(1);
