// Runs the built CLI's classify in this process and reports its peak RSS on stderr.
process.argv = [process.argv[0], 'lifeline', 'classify', ...process.argv.slice(2)];
process.on('exit', () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\n`));
await import(new URL('../../dist/cli.js', import.meta.url).href);
