import { makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: '8px',
    rowGap: '4px',
    margin: 0,
    fontSize: tokens.fontSizeBase200,
  },
  pair: { display: 'contents' },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
});

/** A term / value list in two columns; rows whose value is null or empty are left out. */
export function FactList({ rows }: { rows: readonly (readonly [string, string | null])[] }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts}>
      {rows
        .filter((row): row is readonly [string, string] => row[1] !== null && row[1] !== '')
        .map(([term, value], i) => (
          <div key={`${term}-${i}`} className={styles.pair}>
            <dt className={styles.term}>{term}</dt>
            <dd className={styles.value}>{value}</dd>
          </div>
        ))}
    </dl>
  );
}
