// The training files of the learner app's browser test, made here so the test
// needs no media tool but vpxenc:
//   node learner_fixtures.mjs pdf OUT.pdf          a two-page sheet (text, shapes)
//   node learner_fixtures.mjs y4m W H FRAMES FPS   raw video on stdout for vpxenc:
//     a moving bar over a gradient, with noise so the encoder needs a real bitrate
import fs from 'node:fs';

function pdf(out) {
  const pages = [
    ['Lire ses messages', 'Étape 1 : ouvrez la messagerie.', 'Étape 2 : touchez le message.'],
    ['À retenir', 'Un message non lu est écrit en gras.', 'Fin de la fiche.'],
  ];
  const latin1 = (s) => Buffer.from(s.replace(/[()\\]/g, '\\$&'), 'latin1');
  const objects = [];
  const add = (body) => objects.push(body) && objects.length;
  const catalog = add(null);
  const tree = add(null);
  const font = add(Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'));
  const kids = [];
  for (const [title, ...lines] of pages) {
    const text = [
      Buffer.from('0.12 0.23 0.54 rg 40 700 515 90 re f 1 1 1 rg BT /F1 32 Tf 60 735 Td ('),
      latin1(title),
      Buffer.from(') Tj ET 0 0 0 rg'),
      ...lines.flatMap((l, i) => [Buffer.from(` BT /F1 20 Tf 60 ${620 - i * 40} Td (`), latin1(l), Buffer.from(') Tj ET')]),
    ];
    const stream = Buffer.concat(text);
    const content = add(Buffer.concat([Buffer.from(`<< /Length ${stream.length} >>\nstream\n`), stream, Buffer.from('\nendstream')]));
    kids.push(add(Buffer.from(`<< /Type /Page /Parent ${tree} 0 R /MediaBox [0 0 595 842] /Contents ${content} 0 R /Resources << /Font << /F1 ${font} 0 R >> >> >>`)));
  }
  objects[catalog - 1] = Buffer.from(`<< /Type /Catalog /Pages ${tree} 0 R /Lang (fr-FR) >>`);
  objects[tree - 1] = Buffer.from(`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);
  const parts = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets = [];
  let size = parts[0].length;
  objects.forEach((body, i) => {
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    offsets.push(size);
    size += chunk.length;
    parts.push(chunk);
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${size}\n%%EOF\n`));
  fs.writeFileSync(out, Buffer.concat(parts));
}

function y4m(width, height, frames, fps) {
  const out = fs.openSync('/dev/stdout', 'w');
  fs.writeSync(out, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  let seed = 1;
  const noise = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 63;
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  for (let f = 0; f < frames; f++) {
    const bar = Math.floor((f / frames) * width);
    for (let j = 0; j < height; j++) {
      for (let i = 0; i < width; i++) {
        y[j * width + i] = Math.abs(i - bar) < 12 ? 235 : Math.min(255, (((i + j + f * 4) & 255) >> 1) + noise());
      }
    }
    u.fill(128 + ((f * 3) & 63));
    v.fill(128 - ((f * 2) & 63));
    fs.writeSync(out, 'FRAME\n');
    fs.writeSync(out, y);
    fs.writeSync(out, u);
    fs.writeSync(out, v);
  }
}

const [what, ...rest] = process.argv.slice(2);
if (what === 'pdf') pdf(rest[0]);
else if (what === 'y4m') y4m(...rest.map(Number));
else {
  console.error('usage: learner_fixtures.mjs pdf OUT | y4m W H FRAMES FPS');
  process.exit(2);
}
