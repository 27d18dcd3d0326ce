/// `GET /`: one self-contained page (no external assets) where a person drops or chooses an
/// image, which is POSTed to `/ocr`; the boxes are drawn over the image on a canvas and the texts
/// listed beside it. Stable ids for a browser test: `#file` (the file input), `#drop` (the drop
/// area), `#canvas`, `#result` (an `ol`, one `li` per line, `data-confidence` on each) and
/// `#status` (`idle`, `reading`, `done: N lines`, or `error: ...`).
enum WebPage {
    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>OCRKit</title>
    <style>
      body { font: 15px system-ui, sans-serif; margin: 1.5em; color: #222; }
      #drop { border: 2px dashed #888; border-radius: 8px; padding: 1.2em; text-align: center; margin-bottom: 1em; }
      #drop.over { background: #eef5ff; border-color: #3a7bd5; }
      main { display: flex; gap: 1.5em; align-items: flex-start; flex-wrap: wrap; }
      #canvas { max-width: 65vw; border: 1px solid #ccc; }
      #result { min-width: 16em; }
      #result li { margin: .2em 0; }
      #result li span { color: #777; font-size: 85%; margin-left: .5em; }
      #status { margin: .5em 0; color: #555; }
    </style>
    </head>
    <body>
    <h1>OCRKit</h1>
    <div id="drop">Drop an image here or <input type="file" id="file" accept="image/*"></div>
    <div id="status">idle</div>
    <main>
      <canvas id="canvas" width="0" height="0"></canvas>
      <ol id="result"></ol>
    </main>
    <script>
    const status = document.getElementById('status');
    const canvas = document.getElementById('canvas');
    const list = document.getElementById('result');
    const drop = document.getElementById('drop');

    async function read(file) {
      list.innerHTML = '';
      status.textContent = 'reading';
      const bitmap = await createImageBitmap(file).catch(() => null);
      try {
        const response = await fetch('/ocr', { method: 'POST', body: file,
                                               headers: { 'Content-Type': file.type || 'application/octet-stream' } });
        const body = await response.json();
        if (!response.ok) { status.textContent = 'error: ' + (body.error || response.status); return; }
        draw(bitmap, body.results);
        for (const line of body.results) {
          const li = document.createElement('li');
          li.textContent = line.text;
          li.dataset.confidence = line.confidence;
          const c = document.createElement('span');
          c.textContent = line.confidence.toFixed(3);
          li.appendChild(c);
          list.appendChild(li);
        }
        status.textContent = 'done: ' + body.results.length + ' lines';
      } catch (e) {
        status.textContent = 'error: ' + e;
      }
    }

    function draw(bitmap, lines) {
      const ctx = canvas.getContext('2d');
      if (!bitmap) { canvas.width = canvas.height = 0; return; }
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      ctx.drawImage(bitmap, 0, 0);
      ctx.lineWidth = Math.max(2, bitmap.width / 400);
      ctx.strokeStyle = '#e0245e';
      lines.forEach((line, i) => {
        const p = line.text_region;
        ctx.beginPath();
        ctx.moveTo(p[0][0], p[0][1]);
        for (let k = 1; k < p.length; k++) ctx.lineTo(p[k][0], p[k][1]);
        ctx.closePath();
        ctx.stroke();
        ctx.fillStyle = '#e0245e';
        ctx.font = Math.max(12, bitmap.width / 60) + 'px sans-serif';
        ctx.fillText(String(i + 1), p[0][0], Math.max(12, p[0][1] - 3));
      });
    }

    document.getElementById('file').addEventListener('change', e => { if (e.target.files[0]) read(e.target.files[0]); });
    drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', e => {
      e.preventDefault();
      drop.classList.remove('over');
      if (e.dataTransfer.files[0]) read(e.dataTransfer.files[0]);
    });
    </script>
    </body>
    </html>
    """#
}
