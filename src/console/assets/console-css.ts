/** The console's one stylesheet, served by the Worker at /admin/assets/console.css (no CDN, no build step). */
export default `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1c2330;--muted:#5d6778;--line:#e2e6ec;--brand:#2754c5;--brand-ink:#fff;--ok:#1f7a4d;--ok-bg:#e6f4ec;--warn:#8a5a00;--warn-bg:#fdf3dc;--bad:#b42318;--bad-bg:#fdecea;--focus:#f59e0b;--radius:10px;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
*{box-sizing:border-box}body{margin:0;font-size:15px;line-height:1.45}
a{color:var(--brand)}a:hover{text-decoration:none}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:4px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:10}
header.top{background:#172033;color:#fff}
.top-in{display:flex;align-items:center;gap:16px;max-width:1200px;margin:0 auto;padding:10px 20px;flex-wrap:wrap}
.brand{font-weight:700;color:#fff;text-decoration:none;font-size:17px;margin-right:8px}
nav.main{display:flex;gap:4px;flex-wrap:wrap;flex:1;align-items:center}
nav.main a{white-space:nowrap;color:#cfd7e6;text-decoration:none;padding:6px 10px;border-radius:6px}
nav.main a:hover{background:#26314a;color:#fff}nav.main a[aria-current=page]{background:#2f3d5c;color:#fff}
.who{display:flex;gap:10px;align-items:center;color:#cfd7e6;font-size:14px}
.who form{margin:0}.who button{background:none;border:1px solid #4b5877;color:#fff;padding:4px 10px;border-radius:6px;cursor:pointer}
main{max-width:1200px;margin:0 auto;padding:20px}main.narrow{max-width:420px;padding-top:10vh}
h1{font-size:24px;margin:0 0 4px;overflow-wrap:anywhere}h2{font-size:18px;margin:0 0 12px}
.head{display:flex;align-items:center;justify-content:space-between;gap:12px;flex-wrap:wrap;margin-bottom:16px}
.sub{color:var(--muted);margin:0}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:16px;margin-bottom:16px}
.grid{display:grid;gap:16px}.grid.two{grid-template-columns:2fr 1fr}.grid.stats{grid-template-columns:repeat(4,1fr)}
.stat .n{font-size:26px;font-weight:700}.stat .l{color:var(--muted);font-size:13px}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:9px 8px;border-bottom:1px solid var(--line);vertical-align:middle}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr:last-child td{border-bottom:0}
.thumb{width:44px;height:44px;border-radius:6px;object-fit:cover;background:#eef1f5;display:block}
.badge{display:inline-block;padding:2px 8px;border-radius:99px;font-size:12px;font-weight:600;background:#eef1f5;color:var(--muted);white-space:nowrap}
.badge.ok,.badge.delivered{background:var(--ok-bg);color:var(--ok)}.badge.warn,.badge.pending{background:var(--warn-bg);color:var(--warn)}
.badge.bad,.badge.cancelled{background:var(--bad-bg);color:var(--bad)}.badge.confirmed{background:#e7eefc;color:var(--brand)}.badge.shipped{background:#efe8fb;color:#5b34b1}
form.filters{display:flex;gap:8px;flex-wrap:wrap;align-items:end;margin-bottom:12px}
label{display:block;font-weight:600;font-size:13px;margin-bottom:4px}
input,select,textarea{font:inherit;color:inherit;border:1px solid #c9d0da;border-radius:8px;padding:8px 10px;background:#fff;width:100%}
textarea{min-height:110px;resize:vertical}
input[type=checkbox]{width:auto}
.field{margin-bottom:14px}.field.inline{display:flex;gap:8px;align-items:center}
.field .hint{color:var(--muted);font-size:13px;margin-top:3px}
.field .err{color:var(--bad);font-size:13px;margin-top:4px;font-weight:600}
.field.invalid input,.field.invalid select,.field.invalid textarea{border-color:var(--bad);background:#fffafa}
.row{display:flex;gap:12px;flex-wrap:wrap}.row>.field{flex:1;min-width:140px}
button,.btn{font:inherit;display:inline-flex;align-items:center;justify-content:center;gap:6px;border:1px solid var(--brand);background:var(--brand);color:var(--brand-ink);padding:8px 14px;border-radius:8px;cursor:pointer;text-decoration:none;font-weight:600;white-space:nowrap}
button.secondary,.btn.secondary{background:#fff;color:var(--brand)}
button.danger{background:#fff;border-color:var(--bad);color:var(--bad)}
button.small,.btn.small{padding:4px 10px;font-size:13px}
button[disabled],button[aria-busy=true]{opacity:.6;cursor:progress}
.actions{display:flex;gap:8px;flex-wrap:wrap;align-items:center}
.actions form{margin:0}
.inline-edit{display:flex;gap:8px;align-items:center;margin:0}.inline-edit input{flex:1;min-width:0}
.flash{padding:10px 14px;border-radius:8px;margin-bottom:16px;font-weight:600}
.flash.ok{background:var(--ok-bg);color:var(--ok)}.flash.bad{background:var(--bad-bg);color:var(--bad)}
.empty{text-align:center;padding:36px 16px;color:var(--muted)}.empty strong{display:block;color:var(--ink);font-size:16px;margin-bottom:4px}
.pager{display:flex;gap:8px;align-items:center;justify-content:space-between;margin-top:12px;color:var(--muted)}
.images{display:flex;gap:12px;flex-wrap:wrap}.images figure{margin:0;border:1px solid var(--line);border-radius:8px;padding:6px;width:150px;background:#fff}
.images img{width:100%;height:110px;object-fit:cover;border-radius:6px;display:block;background:#eef1f5}
.images figcaption{display:flex;gap:4px;justify-content:space-between;margin-top:6px}
.preview{max-width:180px;max-height:140px;border-radius:8px;margin-top:8px;display:block}
.preview[hidden]{display:none}
.stock-now{font-size:28px;font-weight:700}
address{font-style:normal}
dl.kv{display:grid;grid-template-columns:auto 1fr;gap:6px 14px;margin:0}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0}
ol.history{list-style:none;padding:0;margin:0}ol.history li{padding:6px 0;border-bottom:1px solid var(--line)}ol.history li:last-child{border:0}
.chart svg{width:100%;height:auto;display:block}.chart .bar{fill:var(--brand)}.chart .axis{stroke:var(--line)}.chart text{font-size:10px;fill:var(--muted)}
.thread{display:flex;flex-direction:column;gap:10px;max-height:60vh;overflow:auto;padding:4px}
.msg{max-width:80%;padding:8px 12px;border-radius:12px;background:#eef1f5;white-space:pre-wrap;overflow-wrap:anywhere}
.msg.staff{align-self:flex-end;background:#e3ebfd}.msg .meta{display:block;font-size:12px;color:var(--muted);margin-top:2px}
.unread{background:var(--brand);color:#fff;border-radius:99px;padding:1px 8px;font-size:12px;font-weight:700}
.muted{color:var(--muted)}.right{text-align:right}.mt{margin-top:12px}
@media (max-width:760px){
  .grid.two,.grid.stats{grid-template-columns:1fr 1fr}.grid.two{grid-template-columns:1fr}
  main{padding:12px}.top-in{padding:8px 12px;gap:8px}nav.main{order:3;flex-basis:100%;overflow-x:auto;flex-wrap:nowrap}
  table.responsive thead{display:none}table.responsive tr{display:block;border-bottom:1px solid var(--line);padding:8px 0}
  table.responsive td{display:flex;justify-content:space-between;gap:12px;border:0;padding:3px 4px}
  table.responsive td::before{content:attr(data-label);color:var(--muted);font-size:12px;text-transform:uppercase}
  table.responsive td.num{text-align:right}
  form.filters>*{flex:1 1 140px}
}
`;
