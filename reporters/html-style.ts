/** report.html's stylesheet and its one script (the filters), inlined into the page. */

export const CSS = `:root{color-scheme:light}body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}header{background:#fff;border-bottom:1px solid #d0d7de;padding:16px 24px}main{padding:8px 24px 40px;max-width:1400px}
h1{font-size:20px;margin:0 0 10px}h2{font-size:17px;margin:22px 0 8px}h3{font-size:14px;margin:6px 0}nav{margin-top:10px}nav a{margin-right:14px}
.headline{background:#fff8c5;border-left:4px solid #9a6700;padding:8px 12px;margin:8px 0}.headline code{white-space:pre-wrap;word-break:break-all}
.verdict{font-size:20px;font-weight:600;padding:10px 14px;border-radius:6px;display:inline-block}.verdict.ok{background:#dafbe1;color:#116329}.verdict.bad{background:#ffebe9;color:#a40e26}.verdict.incomplete{background:#fff8c5;color:#7d4e00}.verdict.known{background:#fff1e5;color:#953800}
table{border-collapse:collapse;background:#fff;margin:4px 0}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
.counts td{text-align:right;min-width:60px}.dim{color:#57606a;font-size:12px;font-weight:normal}
.badge{font-size:11px;font-weight:600;padding:1px 6px;border-radius:10px;text-transform:uppercase;white-space:nowrap}.badge.pass{background:#dafbe1;color:#116329}.badge.fail{background:#ffebe9;color:#a40e26}.badge.warning{background:#fff8c5;color:#7d4e00}.badge.skipped{background:#eaeef2;color:#57606a}.badge.error{background:#fbefff;color:#8250df}.badge.expected-failure{background:#fff1e5;color:#953800}
.lv.pass{background:#dafbe1}.lv.fail{background:#ffebe9}.lv.warning{background:#fff8c5}.lv.untested{background:#eaeef2}
.matrix td.cell{text-align:center;white-space:nowrap}.matrix td a{color:inherit;text-decoration:none;display:block}.cell.pass{background:#dafbe1}.cell.fail{background:#ffcecb}.cell.warning{background:#fff8c5}.cell.expected-failure{background:#fff1e5}.cell.none{color:#8c959f}.cell.skipped{background:#eaeef2}
.group{margin:14px 0}.more>summary{cursor:pointer;color:#57606a;margin:4px 0}.broken td:last-child{max-width:700px}.failure{background:#fff;border:1px solid #d0d7de;border-left:4px solid #cf222e;border-radius:6px;padding:6px 14px;margin:6px 0}.failure>summary{cursor:pointer}.failure.warning{border-left-color:#bf8700}.failure.expected-failure{border-left-color:#bc4c00}.failure.error{border-left-color:#8250df}
.req{background:#fff;border:1px solid #d0d7de;padding:6px 10px;border-radius:4px}.seed{color:#57606a;font-size:12px}.message{font-weight:600}.xfail-note{color:#953800}
.case{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:6px 14px;margin:6px 0}.case>summary{cursor:pointer}.meta{color:#57606a;margin:4px 0}.skip{color:#57606a}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-all;margin:4px 0}.diff .exp{color:#24292f;background:#eaeef2;display:block}.diff .act{color:#a40e26;background:#ffebe9;display:block}.diff.warning .act{color:#7d4e00;background:#fff8c5}.diff .same{display:block}.diff-legend{font-size:12px}.diff-legend .exp{color:#57606a}.diff-legend .act{color:#a40e26;font-weight:600}.diff-legend.warning .act{color:#7d4e00}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:12px}.two>div{min-width:0}.filters{position:sticky;top:0;background:#f6f8fa;padding:8px 0;z-index:1}.filters label{margin-right:14px}.hidden{display:none}.ok-note{color:#116329}
.wide{overflow-x:auto;max-width:100%}code{overflow-wrap:anywhere}.case>summary,.failure>summary{overflow-wrap:anywhere}.why{color:#a40e26}.why.warning{color:#7d4e00}
.hints{background:#ddf4ff;border:1px solid #54aeff;border-radius:6px;padding:8px 14px;margin:10px 0}.hints pre{background:#fff;margin:4px 0 8px}
.chart{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;margin:10px 0;max-width:900px}.chart figcaption{font-weight:600;margin-bottom:6px}
.bar-row{display:grid;grid-template-columns:minmax(90px,170px) 1fr auto;gap:8px;align-items:center;margin:3px 0}.bar-label{overflow-wrap:anywhere}.bar{width:100%;height:16px;display:block}.bar-count{color:#57606a;font-size:12px;white-space:nowrap}
.legend{font-size:12px;color:#57606a;margin-top:6px}.legend span{margin-right:12px;white-space:nowrap}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px;vertical-align:-1px}
.hist{width:100%;height:110px;display:block;background:#f6f8fa}.hist-axis{display:grid;font-size:11px;color:#57606a;text-align:center}
@media (max-width:700px){header,main{padding-left:10px;padding-right:10px}h1{font-size:18px}.verdict{font-size:16px;display:block}.filters label{display:inline-block;margin:2px 10px 2px 0}.failure,.case{padding:6px 8px}}`;

/** Filters: status, operation, level, category and text; kept in the URL hash so a filtered view can be linked. */
export const SCRIPT = `(()=>{const names=['status','operation','level','category','q'];const field=(n)=>document.querySelector('.filters [name="'+n+'"]');
function apply(){const v={};names.forEach(n=>v[n]=field(n).value.trim());let shown=0;
document.querySelectorAll('details.case').forEach(e=>{const d=e.dataset;const ok=(!v.status||d.status===v.status)&&(!v.operation||d.operation===v.operation)&&(!v.level||d.level===v.level)&&(!v.category||d.categories.split(' ').includes(v.category))&&(!v.q||d.search.includes(v.q.toLowerCase()));e.classList.toggle('hidden',!ok);if(ok)shown++;});
document.querySelectorAll('[data-testid="failure"]').forEach(e=>{const d=e.dataset;const ok=(!v.status||!d.status||d.status===v.status)&&(!v.operation||!d.operation||d.operation===v.operation)&&(!v.level||!d.level||d.level===v.level);e.classList.toggle('hidden',!ok);});
document.getElementById('shown').textContent=String(shown);const h=names.filter(n=>v[n]).map(n=>n+'='+encodeURIComponent(v[n])).join('&');if(h||location.hash.includes('='))history.replaceState(null,'',h?'#'+h:location.pathname);}
function fromHash(){const p=new URLSearchParams(location.hash.slice(1));let any=false;names.forEach(n=>{if(p.has(n)){field(n).value=p.get(n);any=true;}});return any;}
names.forEach(n=>{field(n).addEventListener(n==='q'?'input':'change',apply);});
document.querySelectorAll('[data-filter-operation]').forEach(a=>a.addEventListener('click',()=>{names.forEach(n=>field(n).value='');field('operation').value=a.dataset.filterOperation;field('category').value=a.dataset.filterCategory;apply();}));
if(location.hash.includes('='))fromHash();apply();document.body.dataset.ready='true';})();`;
