// Reads a Parquet file with hyparquet (an independent JavaScript reader)
// and prints its schema, key-value metadata and every value as JSON, for
// TestParquetIndependentReader. Non-finite doubles are printed as strings.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'

const file = await asyncBufferFromFile(process.argv[2])
const md = await parquetMetadataAsync(file)
const rows = await parquetReadObjects({ file })
const cell = v => (typeof v === 'bigint' ? Number(v) : Number.isFinite(v) ? v : String(v))
console.log(JSON.stringify({
  columns: md.schema.slice(1).map(s => ({ name: s.name, type: s.type })),
  metadata: Object.fromEntries((md.key_value_metadata || []).map(e => [e.key, e.value])),
  rowGroups: md.row_groups.length,
  rows: rows.map(r => Object.values(r).map(cell)),
}))
