// An error said plainly, announced to assistive technology, with an optional way out.
export function ErrorNotice({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="error-notice" role="alert">
      <span>{message}</span>
      {onRetry && (
        <button type="button" className="small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
