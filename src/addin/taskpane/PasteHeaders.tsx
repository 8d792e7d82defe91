import { useId, useRef, useState, type DragEvent } from 'react';
import { Button, Field, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { DEFAULT_LIMITS } from '../../core';

const useStyles = makeStyles({
  zone: {
    display: 'grid',
    rowGap: '8px',
    padding: '8px',
    borderRadius: tokens.borderRadiusMedium,
    border: `1px dashed ${tokens.colorNeutralStroke1}`,
  },
  dragging: {
    border: `1px dashed ${tokens.colorBrandStroke1}`,
    backgroundColor: tokens.colorBrandBackground2,
  },
  row: { display: 'flex', flexWrap: 'wrap', gap: '8px' },
  hidden: { display: 'none' },
  error: { color: tokens.colorPaletteRedForeground1, margin: 0 },
});

/**
 * Only the top of a dropped file is read: the header section comes first, and the analyzer
 * reads at most this much of it anyway (4 bytes per character is UTF-8's worst case).
 */
const MAX_FILE_BYTES = DEFAULT_LIMITS.maxHeaderChars * 4;

/** Paste headers, or open / drop an .eml file. Nothing leaves the page. */
export function PasteHeaders({
  onAnalyze,
  label = 'Paste the message headers, or a whole .eml message',
}: {
  onAnalyze: (raw: string | Uint8Array, fileName: string | null) => void;
  label?: string;
}) {
  const styles = useStyles();
  const [text, setText] = useState('');
  const [dragging, setDragging] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const fileHint = useId();

  const readFile = async (file: File) => {
    setFileError(null);
    try {
      const bytes = new Uint8Array(await file.slice(0, MAX_FILE_BYTES).arrayBuffer());
      onAnalyze(bytes, file.name);
    } catch (error) {
      setFileError(
        `The file "${file.name}" could not be read (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void readFile(file);
    else {
      const dropped = event.dataTransfer.getData('text/plain');
      if (dropped) setText(dropped);
    }
  };

  return (
    <form
      className={`${styles.zone} ${dragging ? styles.dragging : ''}`}
      data-testid="paste"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim() !== '') onAnalyze(text, null);
      }}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <Field
        label={label}
        hint="Drop an .eml file here too. The headers are analyzed in this page only."
      >
        <Textarea
          value={text}
          onChange={(_, data) => setText(data.value)}
          resize="vertical"
          rows={6}
          spellCheck={false}
          placeholder="Received: from …"
        />
      </Field>
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={text.trim() === ''}>
          Analyze
        </Button>
        <Button
          type="button"
          onClick={() => fileInput.current?.click()}
          aria-describedby={fileHint}
        >
          Open .eml file
        </Button>
        <span id={fileHint} className={styles.hidden}>
          Opens a saved message (.eml) from your computer.
        </span>
        <input
          ref={fileInput}
          className={styles.hidden}
          type="file"
          accept=".eml,message/rfc822,text/plain"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void readFile(file);
            event.target.value = '';
          }}
        />
      </div>
      {fileError && (
        <p className={styles.error} role="alert">
          {fileError}
        </p>
      )}
    </form>
  );
}
