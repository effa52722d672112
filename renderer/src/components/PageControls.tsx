import TablePagination from '@mui/material/TablePagination';

/** A table's pages, shown only when there is more than one: the engine pages, the table shows one page. */
export function PageControls({ total, page, pageSize, onPage }: { total: number; page: number; pageSize: number; onPage: (page: number) => void }) {
  if (total <= pageSize) return null;
  return (
    <TablePagination
      component="div"
      count={total}
      page={page}
      rowsPerPage={pageSize}
      rowsPerPageOptions={[pageSize]}
      onPageChange={(_e, next) => onPage(next)}
    />
  );
}
