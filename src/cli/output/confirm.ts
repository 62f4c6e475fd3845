/** A yes/no question on stderr, answered by one line of stdin ("y" or "yes"; anything else is no). */
export function confirm(question: string): Promise<boolean> {
  process.stderr.write(question);
  return new Promise((resolve) => {
    let line = '';
    const done = (answer: string) => {
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      process.stdin.pause();
      resolve(/^y(es)?$/i.test(answer.trim()));
    };
    const onData = (d: Buffer) => {
      line += d.toString();
      const nl = line.indexOf('\n');
      if (nl >= 0) done(line.slice(0, nl));
    };
    const onEnd = () => done(line);
    process.stdin.on('data', onData);
    process.stdin.once('end', onEnd);
  });
}
