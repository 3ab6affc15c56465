// An error said plainly, announced to assistive technology, with optional ways out.
interface Props {
  message: string;
  onRetry?: () => void;
  onDismiss?: () => void;
}

export function ErrorNotice({ message, onRetry, onDismiss }: Props) {
  return (
    <div className="error-notice" role="alert">
      <span>{message}</span>
      {onRetry && (
        <button type="button" className="small" onClick={onRetry}>
          Retry
        </button>
      )}
      {onDismiss && (
        <button type="button" className="small" onClick={onDismiss} aria-label={`Dismiss: ${message}`}>
          Dismiss
        </button>
      )}
    </div>
  );
}
