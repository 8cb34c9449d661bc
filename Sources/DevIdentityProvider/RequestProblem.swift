/// Why a request was refused, in words for `error_description` or a `/_dev` answer.
struct RequestProblem: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
