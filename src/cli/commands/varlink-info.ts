import { VarlinkClient } from '../../engine/varlink/client.js';
import type { CommandModule } from '../command-module.js';

export const command: CommandModule = {
  usage: 'ADDRESS',
  description: 'Print what a varlink service is and which interfaces it serves (org.varlink.service.GetInfo).',
  examples: ['selkie varlink info unix:/run/selkie/io.podman'],
  configure(cmd) {
    cmd.argument('<address>');
  },
  async run(ctx, args) {
    const client = await VarlinkClient.connect(args[0]!);
    try {
      const info = (await client.call('org.varlink.service.GetInfo')) as { vendor: string; product: string; version: string; url: string; interfaces: string[] };
      ctx.out(
        [`Vendor: ${info.vendor}`, `Product: ${info.product}`, `Version: ${info.version}`, `URL: ${info.url}`, 'Interfaces:', ...info.interfaces.map((i) => `  ${i}`)].join('\n'),
      );
    } finally {
      client.close();
    }
  },
};
