import { describe, expect, it } from 'vitest';
import { SelkieError } from '../../../src/engine/errors.js';
import { defaultHeader, formatOne, formatRows } from '../../../src/cli/format/output.js';

const headers = { ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', Status: 'STATUS', Ports: 'PORTS', Names: 'NAMES' };

const rows = () => [
  { ID: '4c01db0b339c', Image: 'ubuntu:12.04', Command: '"bash"', Status: 'Up 16 seconds', Ports: '', Names: 'webapp' },
  {
    ID: 'd7886598dbe2',
    Image: 'crosbymichael/redis:latest',
    Command: '"/redis-server --dir"',
    Status: 'Up 33 minutes',
    Ports: '0.0.0.0:6379->6379/tcp',
    Names: 'redis,webapp/db',
  },
];

describe('formatRows: table', () => {
  it('renders a header row and aligns columns like docker ps', () => {
    const out = formatRows('table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.Status}}\\t{{.Ports}}\\t{{.Names}}', rows(), { headers });
    expect(out).toBe(
      [
        'CONTAINER ID   IMAGE                        COMMAND                 STATUS          PORTS                    NAMES',
        '4c01db0b339c   ubuntu:12.04                 "bash"                  Up 16 seconds                            webapp',
        'd7886598dbe2   crosbymichael/redis:latest   "/redis-server --dir"   Up 33 minutes   0.0.0.0:6379->6379/tcp   redis,webapp/db',
        '',
      ].join('\n'),
    );
  });

  it('accepts real tabs as well as the two characters \\t', () => {
    const a = formatRows('table {{.ID}}\t{{.Names}}', rows(), { headers });
    expect(a).toBe(formatRows('table {{.ID}}\\t{{.Names}}', rows(), { headers }));
    expect(a).toBe('CONTAINER ID   NAMES\n4c01db0b339c   webapp\nd7886598dbe2   redis,webapp/db\n');
  });

  it('prints only the header when there are no rows', () => {
    expect(formatRows('table {{.ID}}\t{{.Image}}', [], { headers })).toBe('CONTAINER ID   IMAGE\n');
  });

  it('derives headers for unknown fields and keeps header text through value functions', () => {
    const out = formatRows('table {{.ID}}\t{{.CreatedAt}}\t{{upper .Names}}\t{{truncate .Image 6}}\t{{json .Status}}', rows().slice(0, 1), {
      headers,
    });
    expect(out.split('\n')[0]).toBe('CONTAINER ID   CREATED AT   NAMES     IMAGE     STATUS');
    expect(out.split('\n')[1]).toBe('4c01db0b339c   <no value>   WEBAPP    ubuntu    "Up 16 seconds"');
  });

  it('pads the header too when the template uses pad (as Docker does)', () => {
    expect(formatRows('table {{pad .Names 1 1}}|', rows().slice(0, 1), { headers })).toBe(' NAMES |\n webapp |\n');
  });

  it('uses the default columns for a bare "table"', () => {
    const out = formatRows('table', rows().slice(0, 1), { headers, defaultTable: 'table {{.ID}}\\t{{.Names}}' });
    expect(out).toBe('CONTAINER ID   NAMES\n4c01db0b339c   webapp\n');
    expect(formatRows('table', [{ A: 1 }], { headers: { A: 'COL A' } })).toBe('COL A\n1\n');
    expect(() => formatRows('table', [{ A: 1 }])).toThrow(SelkieError);
  });
});

describe('formatRows: templates and json', () => {
  it('renders one line per row, translating \\t and \\n and trimming spaces', () => {
    expect(formatRows('{{.ID}}: {{.Names}}', rows())).toBe('4c01db0b339c: webapp\nd7886598dbe2: redis,webapp/db\n');
    expect(formatRows('  {{.ID}}\\t{{.Names}}\\n', rows().slice(0, 1))).toBe('4c01db0b339c\twebapp\n\n');
    expect(formatRows('{{.ID}}', [])).toBe('');
  });

  it('marks rows as maps: {{json .}} sorts their keys', () => {
    expect(formatRows('{{json .}}', [{ b: '<1>', a: 2 }])).toBe('{"a":2,"b":"<1>"}\n');
  });

  it('prints json as an indented array with sorted row keys, or one object per line', () => {
    expect(formatRows('json', [{ Names: 'a', ID: '1' }])).toBe('[\n    {\n        "ID": "1",\n        "Names": "a"\n    }\n]\n');
    expect(formatRows('json', [])).toBe('[]\n');
    expect(formatRows('json', [{ Names: 'a', ID: '1' }, { ID: '2' }], { jsonLines: true })).toBe(
      '{"ID":"1","Names":"a"}\n{"ID":"2"}\n',
    );
  });

  it('throws template errors as SelkieError', () => {
    expect(() => formatRows('{{foo .}}', rows())).toThrow('template parsing error: template: :1:2: function "foo" not defined');
    expect(() => formatRows('table {{.ID', rows())).toThrow('unclosed action');
  });
});

describe('formatOne', () => {
  const info = { Id: 'abc', State: { Status: 'running', Running: true }, Config: { Labels: { b: '1', a: '2' } } };

  it('renders the template once with a trailing newline', () => {
    expect(formatOne('{{.State.Status}}', info)).toBe('running\n');
    expect(formatOne('{{json .State}}', info)).toBe('{"Status":"running","Running":true}\n');
    expect(formatOne('{{range $k, $v := .Config.Labels}}{{$k}}={{$v}} {{end}}', info)).toBe('a=2 b=1 \n');
  });

  it('does not translate \\t (docker inspect does not)', () => {
    expect(formatOne('{{.Id}}\\t{{.Id}}', info)).toBe('abc\\tabc\n');
  });

  it('prints json indented by four spaces, in insertion order', () => {
    expect(formatOne('json', { Id: 'x', Name: '<n>' })).toBe('{\n    "Id": "x",\n    "Name": "\\u003cn\\u003e"\n}\n');
  });

  it('renders a table format as a one-row table', () => {
    expect(formatOne('table {{.Id}}', info)).toBe('ID\nabc\n');
  });
});

describe('defaultHeader', () => {
  it.each([
    ['ID', 'ID'],
    ['Names', 'NAMES'],
    ['CreatedAt', 'CREATED AT'],
    ['RunningFor', 'RUNNING FOR'],
    ['LocalVolumes', 'LOCAL VOLUMES'],
    ['IPAddress', 'IP ADDRESS'],
    ['CPUPerc', 'CPU PERC'],
    ['NetIO', 'NET IO'],
    ['PIDs', 'PIDS'],
    ['name', 'NAME'],
  ])('%s -> %s', (field, header) => {
    expect(defaultHeader(field)).toBe(header);
  });
});

describe('many rows', () => {
  // Speed is measured by `npm run bench`, never asserted in a unit test.
  it('renders 1000 rows of a 6-column table, aligned', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({
      ID: `abcdef${i}`,
      Image: `img:${i}`,
      Command: '"sh -c x"',
      Status: `Up ${i} minutes`,
      Ports: '0.0.0.0:80->80/tcp',
      Names: `name${i}`,
    }));
    const format = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
    const out = formatRows(format, many, { headers });
    const lines = out.split('\n');
    expect(lines).toHaveLength(1002);
    const col = lines[0]!.indexOf('IMAGE');
    expect(lines.slice(1, -1).every((l) => l.indexOf('img:') === col)).toBe(true);
  });
});
