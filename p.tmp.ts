import { loadMesh } from './src/model';
(async () => {
  const t = Date.now();
  const r = await loadMesh(['specs']);
  console.log(Date.now() - t, 'ms', r.diagnostics);
  for (const p of r.mesh!.products) for (const t of p.topics) console.log(t.name, JSON.stringify(t.schemas && { v: t.schemas.value?.canonical, k: t.schemas.key?.canonical, c: t.schemas.compatibility, loc: t.schemas.value?.location }));
})();
